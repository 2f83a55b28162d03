terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 4.0"
    }
  }
}

provider "aws" {
  region = "eu-west-2"
}

# The bookings database; the app on Fly.io reaches it over the internet.
resource "aws_db_instance" "bookings" {
  identifier        = "bookings"
  engine            = "postgres"
  engine_version    = "13.7"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "bookings"
  password          = var.db_password
}

resource "aws_s3_bucket" "menus" {
  bucket = "northern-lights-menus"
}
