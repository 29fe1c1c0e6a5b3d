environment   = "staging"
instance_type = "t3.small"
domain        = "ladder-staging.example.com"
ssh_cidrs     = ["203.0.113.0/24"]
# deploy_ssh_public_key comes from TF_VAR_deploy_ssh_public_key
