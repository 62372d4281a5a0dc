FROM debian:bookworm-slim
COPY . /mnt/caisson
RUN cd /mnt/caisson && npm i
WORKDIR /mnt/caisson
ENV CAISSON_GIT_URL="https://git.example.invalid/acme/app.git" CAISSON_GIT_BRANCH="main" CAISSON_GIT_SHA=0123456789abcdef0123456789abcdef01234567
