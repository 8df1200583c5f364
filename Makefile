# make run     start seesay (sets everything up on first use)
# make test    run the whole test suite (sets everything up on first use)
VENV ?= .venv
ARGS ?=
STAMP := $(VENV)/.seesay-setup

.PHONY: run test setup bench models clean

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

models: $(STAMP)
	$(VENV)/bin/python tests/fixtures/train_scene_models.py caption
	$(VENV)/bin/python tests/fixtures/train_scene_models.py vqa

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
