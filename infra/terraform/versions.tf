terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  # One state per environment: `terraform workspace select staging|production` (docs/operations.md).
  backend "s3" {
    bucket       = "devops-ladder-tfstate"
    key          = "devops-ladder/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      app         = "devops-ladder"
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}
