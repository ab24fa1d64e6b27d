# One image for the API and the worker; the command picks the role.
#   docker build -t brandtruth .
#   docker run brandtruth                          -> API on :8000
#   docker run brandtruth python -m brandtruth.engines.temporal.worker
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    API_HOST=0.0.0.0 \
    BRANDTRUTH_DATA_DIR=/data \
    BRANDTRUTH_LOG_JSON=true

# Debian's Chromium renders pages whose content is built by JavaScript (BRANDTRUTH_RENDER_JAVASCRIPT=false: never).
RUN apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# requirements.txt installs the package itself (`-e .`), so the source comes first.
COPY requirements.txt api_server.py pyproject.toml ./
COPY src ./src
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 10001 brandtruth && mkdir -p /data && chown brandtruth /data
USER brandtruth
VOLUME ["/data"]
EXPOSE 8000

CMD ["python", "api_server.py"]
