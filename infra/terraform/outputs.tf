output "lb_dns_name" {
  description = "Point the app's DNS name (var.domain) here"
  value       = aws_lb.app.dns_name
}

output "host_public_ip" {
  description = "DEPLOY_HOST of the GitHub environment is deploy@<this address>"
  value       = aws_instance.host.public_ip
}

output "backup_bucket" {
  description = "BACKUP_S3_BUCKET of the backup workflow"
  value       = aws_s3_bucket.backups.bucket
}

output "backup_role_arn" {
  description = "BACKUP_ROLE_ARN of the backup workflow"
  value       = aws_iam_role.backup.arn
}
