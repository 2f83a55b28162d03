provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAHVLOZRYKIJ7O07E2"
  secret_key = "eLBezkA7NciJkFKlErg2Gnwcg6V5lRQ2NhyTvd4Q"
}

resource "aws_db_instance" "main" {
  engine   = "postgres"
  username = "app"
  password = "C*aIbgS_rTwLaXbLJTzw4G9q"
}
