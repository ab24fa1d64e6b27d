# One image for the API and the worker; the command picks the role.
#   docker build -t brandtruth .
#   docker run brandtruth                          -> API on :8000
#   docker run brandtruth python -m brandtruth.engines.temporal.worker
#
# Runtime only: the pins of requirements.txt and the package itself (not editable), in a virtualenv
# built in a first stage and copied alone into the image. No test or lint tools (pytest, Hypothesis,
# Schemathesis, mypy, ruff; Playwright, for the reviewer-page tests: requirements-dev.txt), no browser
# download (the worker drives Debian's chromium-headless-shell itself, over its DevTools pipe), no
# source tree, no pip cache; it runs as an unprivileged user.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/brandtruth
ENV PATH=/opt/brandtruth/bin:$PATH
WORKDIR /build
# The pinned dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN sed '/^-e /d' requirements.txt > runtime-requirements.txt && pip install -r runtime-requirements.txt
COPY pyproject.toml ./
COPY src ./src
# pip itself is not needed to run: it stays behind in this stage.
RUN pip install --no-deps . && pip uninstall -y pip

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/brandtruth/bin:$PATH \
    API_HOST=0.0.0.0 \
    BRANDTRUTH_DATA_DIR=/data \
    BRANDTRUTH_LOG_JSON=true

# Debian's headless Chromium shell renders pages whose content is built by JavaScript (BRANDTRUTH_RENDER_JAVASCRIPT=false: never).
RUN apt-get update && apt-get install -y --no-install-recommends chromium-headless-shell && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 brandtruth && mkdir -p /data && chown brandtruth /data
COPY --from=build /opt/brandtruth /opt/brandtruth
WORKDIR /app
COPY api_server.py ./

USER brandtruth
VOLUME ["/data"]
EXPOSE 8000

CMD ["python", "api_server.py"]
