# Osservatorio CX: one image for the app workers and for the proxy (nginx serves Streamlit's
# front end from this image's own streamlit package). `docker compose up` uses it twice.
FROM python:3.11-slim

# nginx for the proxy service; Chromium only for the browser tests (docker build
# --build-arg WITH_CHROMIUM=1), never needed to serve
ARG WITH_CHROMIUM=0
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && if [ "$WITH_CHROMIUM" = 1 ]; then apt-get install -y --no-install-recommends chromium; fi \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements.txt
COPY . .

# the database, its snapshots and the follow-along site live on a shared volume
ENV CX_DB=/data/cx.duckdb \
    CX_FOLLOW_DIR=/data/follow \
    PYTHONUNBUFFERED=1
VOLUME /data
EXPOSE 8501 80

# an app worker (compose's `app`); the proxy overrides the command
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address", "0.0.0.0", \
     "--server.port", "8501", "--server.headless", "true", \
     "--server.enableXsrfProtection", "true"]
