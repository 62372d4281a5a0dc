FROM base:1
RUN apt-get update
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y jq curl
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y curl ca-certificates
RUN curl -sSL https://get.docker.com/ | sh
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y openssh-server
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip
RUN --mount=type=bind,source=wheels,target=/mnt/caisson/wheels,rw cd /mnt/caisson && PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir ./wheels attrs requests==2.31.0
RUN mkdir -p /mnt/caisson && cd /mnt/caisson && npm i left-pad
COPY . /mnt/caisson
WORKDIR /mnt/caisson
