variable "environment" {
  description = "staging or production; also the Terraform workspace"
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "region" {
  description = "AWS region of the host, its load balancer and the backup bucket"
  type        = string
  default     = "eu-west-1"
}

variable "instance_type" {
  description = "The Docker host. One app container; SQLite keeps it to one writer, so it scales up, not out."
  type        = string
}

variable "domain" {
  description = "Public name of the app (webhooks, badges): its TLS certificate must already exist in ACM"
  type        = string
}

variable "deploy_ssh_public_key" {
  description = "Public key of the deploy user, whose private half is the DEPLOY_SSH_KEY secret of the GitHub environment"
  type        = string
}

variable "ssh_cidrs" {
  description = "Who may reach the Docker engine over SSH (the deploy key's users; GitHub's runners through a bastion or allow-list)"
  type        = list(string)
}

variable "backup_retention_days" {
  description = "Days a nightly backup is kept in S3"
  type        = number
  default     = 35
}

variable "github_repository" {
  description = "owner/name of this repository: its backup workflow may assume the backup role"
  type        = string
  default     = "devops-ladder/devops-ladder"
}
