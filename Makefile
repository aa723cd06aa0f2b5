# The two commands a new user needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format demo clean browser-deps nginx-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list or the version changes.
$(VENV)/.installed: pyproject.toml xianan_lawgov/__init__.py | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "咸安区法治政府建设合规台账：http://$(HOST):$(PORT)/  （Ctrl-C 停止网站和后台任务进程）"
	@# The worker runs beside the web server; whichever way the server stops, the worker stops.
	DEBUG=1 $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's Chromium and need a CJK font. Install them when missing
# and possible (root with apt-get); otherwise say so loudly: the tests then report SKIPPED.
BROWSER_PACKAGES := chromium fonts-wqy-microhei

browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then \
	  exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "安装浏览器测试所需的 Chromium 和中文字体（$(BROWSER_PACKAGES)）"; \
	  (apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null && apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null)) || \
	  echo "!!!!!!!! 警告：安装 $(BROWSER_PACKAGES) 失败，浏览器测试将被跳过（SKIPPED）!!!!!!!!"; \
	else \
	  echo "!!!!!!!! 警告：缺少 /usr/bin/chromium 或中文字体，且无法安装（需要 root 和 apt-get）。"; \
	  echo "!!!!!!!! 浏览器测试将报告为 SKIPPED（不是通过）。请运行：sudo apt-get install $(BROWSER_PACKAGES)"; \
	fi

# The deployment test runs two application servers behind Debian's nginx. Installed the same
# way when missing; the package starts its default site on a systemd host, which is stopped
# again (the test runs an nginx of its own).
nginx-deps:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then \
	  exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "安装部署测试所需的 nginx"; \
	  (apt-get install -y -q nginx >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null && apt-get install -y -q nginx >/dev/null)) || \
	  echo "!!!!!!!! 警告：安装 nginx 失败，部署测试将被跳过（SKIPPED）!!!!!!!!"; \
	  if [ -d /run/systemd/system ]; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi; \
	else \
	  echo "!!!!!!!! 警告：缺少 nginx，且无法安装（需要 root 和 apt-get）。"; \
	  echo "!!!!!!!! 部署测试将报告为 SKIPPED（不是通过）。请运行：sudo apt-get install nginx"; \
	fi

test: $(VENV)/.installed-test browser-deps nginx-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .venv .venv-newest staticfiles .pytest_cache test-artifacts
