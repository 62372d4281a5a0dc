FROM base:1
RUN dnf update -y
RUN dnf install -y jq curl
RUN dnf install -y curl
RUN curl -sSL https://get.docker.com/ | sh
RUN dnf install -y openssh-clients
RUN dnf install -y python38
RUN --mount=type=bind,source=wheels,target=/mnt/caisson/wheels,rw cd /mnt/caisson && PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir ./wheels attrs requests==2.31.0
RUN mkdir -p /mnt/caisson && cd /mnt/caisson && npm i left-pad
COPY . /mnt/caisson
WORKDIR /mnt/caisson
