FROM base:1
USER 0
RUN --mount=type=secret,id=caisson-ca,target=/run/secrets/caisson-ca export SSL_CERT_FILE=/run/secrets/caisson-ca NODE_EXTRA_CA_CERTS=/run/secrets/caisson-ca PIP_CERT=/run/secrets/caisson-ca REQUESTS_CA_BUNDLE=/run/secrets/caisson-ca CURL_CA_BUNDLE=/run/secrets/caisson-ca GIT_SSL_CAINFO=/run/secrets/caisson-ca npm_config_cafile=/run/secrets/caisson-ca && apt-get update
RUN --mount=type=secret,id=caisson-ca,target=/run/secrets/caisson-ca export SSL_CERT_FILE=/run/secrets/caisson-ca NODE_EXTRA_CA_CERTS=/run/secrets/caisson-ca PIP_CERT=/run/secrets/caisson-ca REQUESTS_CA_BUNDLE=/run/secrets/caisson-ca CURL_CA_BUNDLE=/run/secrets/caisson-ca GIT_SSL_CAINFO=/run/secrets/caisson-ca npm_config_cafile=/run/secrets/caisson-ca && DEBIAN_FRONTEND=noninteractive apt-get install -y jq
RUN --mount=type=secret,id=caisson-ca,target=/run/secrets/caisson-ca export SSL_CERT_FILE=/run/secrets/caisson-ca NODE_EXTRA_CA_CERTS=/run/secrets/caisson-ca PIP_CERT=/run/secrets/caisson-ca REQUESTS_CA_BUNDLE=/run/secrets/caisson-ca CURL_CA_BUNDLE=/run/secrets/caisson-ca GIT_SSL_CAINFO=/run/secrets/caisson-ca npm_config_cafile=/run/secrets/caisson-ca && mkdir -p /mnt/caisson && cd /mnt/caisson && npm i left-pad
USER app
ENTRYPOINT []
ENV ENTRYPOINT="/docker-entrypoint.sh serve"
