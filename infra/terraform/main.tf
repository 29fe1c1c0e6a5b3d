# The host: one Docker engine running the app container (scripts/deploy.sh), behind an HTTPS load balancer
# that health-checks /healthz. The store lives on the engine's volume `devops-ladder-data` (encrypted root disk).

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

data "aws_ami" "debian" {
  most_recent = true
  owners      = ["136693071363"] # Debian's official AWS account

  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }
}

data "aws_acm_certificate" "app" {
  domain   = var.domain
  statuses = ["ISSUED"]
}

resource "aws_security_group" "lb" {
  name        = "devops-ladder-${var.environment}-lb"
  description = "HTTPS from anywhere: GitHub webhooks, badges, Prometheus"
  vpc_id      = data.aws_vpc.default.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "host" {
  name        = "devops-ladder-${var.environment}-host"
  description = "The app port from the load balancer only; SSH for deploys"
  vpc_id      = data.aws_vpc.default.id

  ingress {
    from_port       = 3000
    to_port         = 3000
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.ssh_cidrs
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "host" {
  ami                    = data.aws_ami.debian.id
  instance_type          = var.instance_type
  subnet_id              = data.aws_subnets.default.ids[0]
  vpc_security_group_ids = [aws_security_group.host.id]
  iam_instance_profile   = aws_iam_instance_profile.host.name

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 30
    encrypted   = true
  }

  # Docker, and a `deploy` user in its group whose key the deploy and backup workflows hold
  user_data = <<-CLOUDINIT
    #cloud-config
    package_update: true
    packages: [docker.io, sqlite3]
    users:
      - name: deploy
        groups: [docker]
        shell: /bin/bash
        ssh_authorized_keys: ["${var.deploy_ssh_public_key}"]
    runcmd:
      - systemctl enable --now docker
  CLOUDINIT

  tags = {
    Name = "devops-ladder-${var.environment}"
  }

  lifecycle {
    # a new AMI must not replace the host (and its volume) behind our back: replace it on purpose
    ignore_changes = [ami, user_data]
  }
}

resource "aws_lb" "app" {
  name               = "devops-ladder-${var.environment}"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.lb.id]
  subnets            = data.aws_subnets.default.ids
}

resource "aws_lb_target_group" "app" {
  name     = "devops-ladder-${var.environment}"
  port     = 3000
  protocol = "HTTP"
  vpc_id   = data.aws_vpc.default.id

  health_check {
    path                = "/healthz"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_target_group_attachment" "host" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.host.id
  port             = 3000
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = data.aws_acm_certificate.app.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}
