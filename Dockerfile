# Impayés Telegram bot. Build: docker build -t impayes .
# Run:   docker run -e TELEGRAM_BOT_TOKEN=... -v impayes-data:/data impayes
FROM python:3.11-slim-bookworm

# WeasyPrint draws PDFs with Pango; DejaVu gives the letters their typeface; Tesseract
# with its French data reads photos of invoices.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core tesseract-ocr tesseract-ocr-fra \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 impayes
WORKDIR /app
COPY pyproject.toml README.md ./
COPY flows ./flows
COPY bot ./bot
COPY templates ./templates
RUN pip install --no-cache-dir . && rm -rf /app/flows /app/bot

ENV IMPAYES_DATA_DIR=/data IMPAYES_TZ=Europe/Paris PYTHONUNBUFFERED=1
RUN mkdir -p /data && chown impayes /data
VOLUME ["/data"]
USER impayes
WORKDIR /home/impayes
CMD ["python", "-m", "bot", "telegram"]
