FROM base:1
RUN yum update -y
RUN yum install -y jq curl
RUN yum install -y curl
RUN curl -sSL https://get.docker.com/ | sh
RUN yum install -y openssh-clients
RUN yum install -y python36
RUN --mount=type=bind,source=wheels,target=/mnt/caisson/wheels,rw cd /mnt/caisson && PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir ./wheels attrs requests==2.31.0
RUN mkdir -p /mnt/caisson && cd /mnt/caisson && npm i left-pad
COPY . /mnt/caisson
WORKDIR /mnt/caisson
