# Cardinal's server image.
#
#   docker build -t cardinal .
#   docker build --build-arg BASE=registry.example.com/python:3.11-slim-bookworm -t cardinal .
#
# BASE is any Debian bookworm (or later) image with Python 3.11+ as `python3` and its venv
# module: the official python:3.11-slim-bookworm, or plain Debian with python3 and python3-venv.
# Both stages use it, so the virtual environment built in the first finds the same interpreter
# at the same path in the second.
ARG BASE=python:3.11-slim-bookworm

FROM ${BASE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# The dependencies ship binary wheels for the usual Linux platforms, so no compiler is needed;
# hatchling (the build backend) is fetched by pip for the build only.
RUN python3 -m venv /opt/cardinal
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN /opt/cardinal/bin/pip install . \
 && /opt/cardinal/bin/pip uninstall --yes pip


FROM ${BASE} AS runtime

# What PDF export needs from the system: Pango and HarfBuzz for WeasyPrint's text layout and
# font subsetting, and fonts that cover non-Latin text (the same packages as dev.py installs).
# FONTS may name fewer (e.g. only fonts-dejavu-core) for a smaller image that renders Latin
# text only.
ARG FONTS="fonts-dejavu-core fonts-noto-core fonts-noto-cjk"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 ${FONTS} \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --user-group --uid 10001 --home-dir /home/cardinal --create-home \
        --shell /usr/sbin/nologin cardinal \
 && mkdir -p /var/lib/cardinal \
 && chown cardinal:cardinal /var/lib/cardinal

COPY --from=build /opt/cardinal /opt/cardinal

ENV PATH=/opt/cardinal/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CARDINAL_DATA_DIR=/var/lib/cardinal \
    CARDINAL_PORT=8765

USER cardinal
WORKDIR /var/lib/cardinal
# The SQLite file (when CARDINAL_DATABASE_URL names no PostgreSQL), the secret key file (when
# CARDINAL_SECRET_KEY is unset) and the exports written without an object store.
VOLUME ["/var/lib/cardinal"]
EXPOSE 8765

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('CARDINAL_PORT', '8765'), timeout=4)"]

# Authentication stays on (the default): open mode (CARDINAL_AUTH=off) refuses to serve on
# anything but loopback. The first admin is made with the CLI on the same store, e.g.
#   docker exec -it <container> cardinal users create root --role admin
CMD ["cardinal", "serve", "--host", "0.0.0.0"]
