environment           = "production"
instance_type         = "t3.medium"
domain                = "ladder.example.com"
ssh_cidrs             = ["203.0.113.0/24"]
backup_retention_days = 90
# deploy_ssh_public_key comes from TF_VAR_deploy_ssh_public_key
