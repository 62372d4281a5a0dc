FROM caisson/test-dockerfile:000000000000
RUN apt-get update
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y jq
COPY . /mnt/caisson
WORKDIR /mnt/caisson
