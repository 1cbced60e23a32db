terraform {
  required_version = ">= 1.8"

  required_providers {
    fptcloud = {
      source = "fptcloud-billing/fptcloud"
    }
  }
}

provider "fptcloud" {}
