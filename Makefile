# 中小企业特色产业集群申报材料预审流水线 — see README.md.
# `make demo` and `make test` do all set-up on a fresh clone: they create .venv, install the
# pinned dependencies, and install the system packages a feature needs where apt is available.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= out/demo
WORKERS ?= 2
APT    := $(shell command -v apt-get 2>/dev/null)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: help venv sysdeps sysdeps-office demo test test-fast lint bench accuracy samples schema review review-user fuzz soak heldout clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-deps -r requirements.lock
	$(PY) -c "import docx, pdfplumber, jieba, spacy, jinja2, cv2, rapidocr_onnxruntime, pypdfium2, weasyprint"
	@touch $@

venv: $(STAMP)  ## create .venv and install the pinned dependencies

sysdeps:  ## CJK fonts (memo PDF, scan samples), poppler-utils, chromium (prints memo.pdf; workbench browser test), postgresql (ledger tests), via apt where available
	@missing=""; \
	fc-list ':family=Noto Sans CJK SC' 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	fc-list ':lang=zh:fontformat=TrueType' 2>/dev/null | grep -q . || missing="$$missing fonts-wqy-microhei"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then echo "system packages: present (CJK fonts, poppler, chromium, postgresql)"; \
	elif [ -n "$(APT)" ]; then echo "installing with apt:$$missing"; \
	  $(SUDO) apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	  || echo "WARNING: could not install$$missing: memo.pdf, the browser test or the PostgreSQL tests will say what is missing"; \
	else echo "WARNING: no apt-get and missing$$missing: memo.pdf, the browser test or the PostgreSQL tests will say what is missing"; fi

sysdeps-office:  ## LibreOffice (only to read .doc/.wps and to regenerate PDF samples)
	@if command -v soffice >/dev/null; then echo "LibreOffice: present"; \
	elif [ -n "$(APT)" ]; then $(SUDO) apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null; \
	else echo "WARNING: LibreOffice not available: .doc/.wps files will be reported as unreadable"; fi

demo: venv sysdeps  ## run the pipeline over samples/dossiers/ and write memos to out/demo
	$(PY) -m pipeline run samples/dossiers/ --out $(OUT) --workers $(WORKERS)
	@echo "Open $(abspath $(OUT))/index.html"

test: venv sysdeps lint  ## lint, then run the test suite
	$(PY) -m pytest -q -n 2 tests

lint: venv  ## ruff (pyflakes, import order, complexity ≤ 15) and mypy on pipeline/model
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test-fast: venv  ## the test suite without the slow OCR tests
	$(PY) -m pytest -q -n 2 -m "not slow" tests

bench: venv sysdeps  ## print speed and memory figures
	$(PY) -m bench

FUZZ_EXAMPLES ?= 200
SOAK_DOSSIERS ?= 500
SOAK_KILLS ?= 20

fuzz: venv  ## fuzz every reader with damaged files, FUZZ_EXAMPLES random ones per kind (tests/test_fuzz_readers.py)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_fuzz_readers.py

soak: venv  ## soak and chaos bench: SOAK_DOSSIERS dossiers, 2 workers, memory per worker; SOAK_KILLS kill -9 and resume
	$(PY) -m bench.soak --dossiers $(SOAK_DOSSIERS) --kills $(SOAK_KILLS) --workers 2

accuracy: venv  ## per-rendition accuracy of fields and tick groups on the samples, and the devcorpus scored by its score.py
	$(PY) -m bench.accuracy

HELDOUT_SALTS ?= ho1 ho2

heldout: venv sysdeps-office  ## held-out check on our generator's untuned seeds (HELDOUT_SALTS): fields, tick groups, false errors, planted found
	$(PY) -m bench.heldout --salts $(HELDOUT_SALTS)

samples: venv sysdeps sysdeps-office  ## regenerate samples/ (needs LibreOffice for the PDF renditions)
	$(PY) -m samples.generator --out samples --renditions
	$(PY) -m samples.generator.legacy --out samples

schema: venv  ## rewrite pipeline/schema/extraction.schema.json from the catalogue
	$(PY) -m pipeline.schema

review: venv  ## the clerks' review workbench on $(OUT) (default out/demo) at http://127.0.0.1:8765/
	@test -d $(OUT) || { echo "no $(OUT): run 'make demo' first"; exit 2; }
	$(PY) -m pipeline review $(OUT)

review-user: venv  ## add a reviewer account to $(OUT): make review-user NAME=张三 (asks for the password)
	@test -n "$(NAME)" || { echo "usage: make review-user NAME=<name>"; exit 2; }
	$(PY) -m pipeline review $(OUT) --add-user "$(NAME)"

clean:  ## remove outputs and caches (keeps .venv)
	rm -rf out .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
