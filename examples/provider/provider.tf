# The token is best read from the environment: export FPTCLOUD_TOKEN=...
provider "fptcloud" {
  region    = "VN/HAN"
  time_zone = "Asia/Ho_Chi_Minh"

  # Optional: keep closed days' bill lines between runs (or set FPTCLOUD_CACHE_DIR).
  cache_dir = "${path.root}/.fptcloud-cache"
  # "auto" (the default) reads bills through the paging endpoint and falls
  # back to one request per day where the API refuses it; "by_date" always
  # reads one day at a time.
  bills_endpoint = "auto"
}
