# docmine: set up and run. Only pip + venv (uv/poetry do not see the local CPU torch wheel).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: venv system demo test lint bench clean

venv: $(STAMP)

# Debian packages: Tesseract for OCR of scanned PDFs, Chromium for the browser tests (root)
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-eng chromium chromium-driver
system:
	@if [ ! -x /usr/bin/tesseract ] || [ ! -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] \
	  || [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
		  --no-install-recommends $(SYSTEM_PACKAGES); \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, from the CPU wheel, or pip pulls gigabytes of CUDA packages
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	# the models, prepared once offline (the encoder's int8 export): no first query pays for it
	HF_HUB_OFFLINE=1 $(BIN)/docmine setup
	touch $(STAMP)

demo: venv
	$(BIN)/docmine ingest corpus/
	$(BIN)/docmine export -o outputs/register.xlsx
	$(BIN)/docmine export -o outputs/register.csv
	$(BIN)/docmine search "what must the integrated care partnership do about Healthwatch" -n 5

lint: venv
	$(BIN)/ruff check docmine tests
	$(BIN)/ruff format --check docmine tests
	$(BIN)/mypy docmine

test: lint
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

clean:
	rm -rf $(VENV) docmine.db docmine.db-wal docmine.db-shm outputs/*.xlsx outputs/*.csv
