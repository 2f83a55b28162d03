resource "aws_db_instance" "db" {
  password = var.db_password
  username = local.db_user
}
resource "random_password" "db" { length = 32 }
data "aws_ssm_parameter" "token" { name = "/shop/api-token" }
locals {
  secret_key = data.aws_ssm_parameter.token.value
  api_key    = module.secrets.api_key
}
