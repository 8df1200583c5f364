# make run     start seesay (sets everything up on first use)
# make test    run the whole test suite (sets everything up on first use)
# make bundle  build the one-folder app in dist/seesay/ with PyInstaller (packaging/seesay.spec)
VENV ?= .venv
ARGS ?=
STAMP := $(VENV)/.seesay-setup

.PHONY: run test setup bench models bundle clean

run: $(STAMP)
	$(VENV)/bin/seesay $(ARGS)

test: $(STAMP)
	$(VENV)/bin/python -m pytest $(ARGS)

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh scripts/apt-packages.txt
	VENV=$(VENV) bash scripts/setup.sh
	touch $@

bench: $(STAMP)
	$(VENV)/bin/python tests/benchmarks/bench_caption.py
	$(VENV)/bin/python tests/benchmarks/bench_hotkey_latency.py --window hidden
	$(VENV)/bin/python tests/benchmarks/bench_hotkey_latency.py --window shown
	$(VENV)/bin/python tests/benchmarks/bench_ocr.py
	$(VENV)/bin/python tests/benchmarks/bench_layout.py
	$(VENV)/bin/python tests/benchmarks/bench_hotkey_latency.py --window hidden --screen article
	$(VENV)/bin/python tests/benchmarks/bench_regions_and_questions.py

models: $(STAMP)
	$(VENV)/bin/python tests/fixtures/train_scene_models.py caption
	$(VENV)/bin/python tests/fixtures/train_scene_models.py vqa

bundle: $(STAMP)
	$(VENV)/bin/python -c "import PyInstaller" 2>/dev/null || $(VENV)/bin/python -m pip install -q -e ".[bundle]"
	$(VENV)/bin/python -m PyInstaller --noconfirm --distpath dist --workpath build packaging/seesay.spec
	@du -sh dist/seesay

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info
