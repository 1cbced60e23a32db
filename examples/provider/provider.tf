# The token is best read from the environment: export FPTCLOUD_TOKEN=...
provider "fptcloud" {
  region    = "VN/HAN"
  time_zone = "Asia/Ho_Chi_Minh"

  # Optional: keep closed days' bill lines between runs (or set FPTCLOUD_CACHE_DIR).
  cache_dir = "${path.root}/.fptcloud-cache"
}
