terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-2"
}

resource "aws_s3_bucket" "media" {
  bucket = "acme-media"
}

resource "aws_lambda_function" "resize" {
  function_name = "acme-resize"
  runtime       = "python3.12"
  handler       = "resize.handler"
  role          = aws_iam_role.resize.arn
}

resource "aws_db_instance" "analytics" {
  engine         = "mysql"
  engine_version = "8.0.35"
  instance_class = "db.t4g.micro"
}
