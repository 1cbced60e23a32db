terraform {
  required_version = ">= 1.8"

  required_providers {
    fptcloud = {
      source = "fptcloud-billing/fptcloud"
    }
  }
}

# The token and the API address come from FPTCLOUD_TOKEN and, for a local
# emulator, FPTCLOUD_API_URL.
provider "fptcloud" {}
