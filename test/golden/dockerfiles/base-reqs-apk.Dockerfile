FROM base:1
RUN apk update
RUN apk add --update jq curl
RUN apk add --update curl ca-certificates
RUN curl -sSL https://get.docker.com/ | sh
RUN apk add --update openssh
RUN apk add --update python3 py3-pip
RUN --mount=type=bind,source=wheels,target=/mnt/caisson/wheels,rw cd /mnt/caisson && PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir ./wheels attrs requests==2.31.0
RUN mkdir -p /mnt/caisson && cd /mnt/caisson && npm i left-pad
COPY . /mnt/caisson
WORKDIR /mnt/caisson
