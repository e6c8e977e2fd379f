# One entry point: CI runs exactly these targets (see .ci/run).
VENV := .venv
PYTHON := $(VENV)/bin/python
PIP := $(PYTHON) -m pip install --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve check fix test bench clean system-packages pre-commit publish-check

# Debian packages: the PDF (WeasyPrint's Pango, the embedded font) for every build,
# spelling for `make check`; the test suite adds the browsers: Chromium (the full browser suite),
# Firefox and WebKit (smoke tests, tests/test_engines.py; WebKit needs a virtual display), and the
# web servers the hosting recipes are for (tests/test_hosts.py).
SITE_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation
CHECK_PACKAGES := hunspell hunspell-fr-comprehensive hunspell-en-ca
TEST_PACKAGES := $(SITE_PACKAGES) $(CHECK_PACKAGES) chromium firefox-esr webkit2gtk-driver xvfb xauth nginx apache2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=600

# Installs only what is missing, so it costs nothing once done.
system-packages:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installation des paquets Debian : $$missing"; \
		$(APT) update -qq && $(APT) install -y -qq --no-install-recommends $$missing; \
	fi

# Dependencies, reinstalled only when a requirements file changes.
$(VENV)/.site-installed: requirements.txt constraints.txt pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PIP) -r requirements.txt -c constraints.txt
	$(PIP) --no-deps -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.site-installed requirements-test.txt
	$(PIP) -r requirements-test.txt -c constraints.txt
	touch $@

# npm packages pinned in package-lock.json: the web editor the build copies into site/admin/
# (Sveltia CMS and its fonts), and for the tests axe-core, the W3C Nu HTML checker and puppeteer-core
# (drives Firefox). Installed once;
# the build itself needs no network. Node.js and Java may come from elsewhere than Debian: they are
# looked for as commands, installed only when missing.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || $(MAKE) --no-print-directory system-packages PACKAGES="nodejs npm"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Build into a folder of its own, check it complete, then publish it at once (plan_ovt/publish_build.py):
# site/ and server/ always hold the same last good build, whatever stops a build; two builds take turns.
# server/ gets the nginx and Apache configurations of this build (not published: servers read them
# from their own configuration).
site: $(VENV)/.site-installed node_modules/.installed
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(SITE_PACKAGES)"
	$(PYTHON) -m plan_ovt.publish_build

# Run by the publishing jobs after `make site`: no placeholder address of mkdocs.yml is published.
publish-check: $(VENV)/.site-installed
	$(PYTHON) -m plan_ovt.publish site

# `make serve LANGUE=fr` (or en) previews one language only, for faster reloads. The preview lives at the
# root of http://127.0.0.1:8000/ (English under /en/), whatever the public address of the site.
PREVIEW := 127.0.0.1:8000
serve: $(VENV)/.site-installed node_modules/.installed
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(SITE_PACKAGES)"
	PLAN_OVT_SITE_URL=http://$(PREVIEW)/ PLAN_OVT_EDIT_LINKS=1 $(if $(LANGUE),PLAN_OVT_PREVIEW_LANGUAGE=$(LANGUE)) \
		$(PYTHON) -m mkdocs serve --strict --dev-addr $(PREVIEW)

# The rulebook: everything that can stop a publication, in French, file and line. CI runs it first.
# CI adds CHECK_FLAGS: "--format github" (annotations on the edited line, French job summary) or
# "--codequality FILE" (GitLab's Code Quality report).
check: $(VENV)/.site-installed
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(CHECK_PACKAGES)"
	$(PYTHON) -m plan_ovt.check $(CHECK_FLAGS)

# Typography editors cannot type (’, non-breaking spaces), fixed in the files; then the rulebook.
fix: $(VENV)/.site-installed
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(CHECK_PACKAGES)"
	$(PYTHON) -m plan_ovt.check --fix

test: $(VENV)/.test-installed node_modules/.installed
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(TEST_PACKAGES)"
	@command -v java >/dev/null || $(MAKE) --no-print-directory system-packages PACKAGES="default-jre-headless"
	$(PYTHON) -m plan_ovt.check
	$(PYTHON) -m pytest

# Speed and size against their budgets (bench/run.py); figures in bench/results.json.
bench: $(VENV)/.test-installed node_modules/.installed
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(TEST_PACKAGES)"
	@command -v java >/dev/null || $(MAKE) --no-print-directory system-packages PACKAGES="default-jre-headless"
	$(PYTHON) bench/run.py

# Runs `make check` before each commit (see CONTRIBUTING.md).
pre-commit: $(VENV)/.site-installed
	$(PIP) -r requirements-editor.txt -c constraints.txt
	$(VENV)/bin/pre-commit install

clean:
	rm -rf site server .builds .site-tmp .site-old .server-tmp .server-old .pytest_cache .cache/pdf
