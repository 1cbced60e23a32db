# The token is best read from the environment: export FPTCLOUD_TOKEN=...
provider "fptcloud" {
  region    = "VN/HAN"
  time_zone = "Asia/Ho_Chi_Minh"
}
