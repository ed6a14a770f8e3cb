# Tally's entry points. `make` alone lists them.
.DEFAULT_GOAL := help
MVN ?= mvn -B -q
JAR := target/tally.jar
PORT ?= 8080
DATA_DIR ?= data

help: ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: $(JAR) ## Build, then serve on the embedded store with demo data (PORT, DATA_DIR)
	java -jar $(JAR) serve --demo --port $(PORT) --data-dir $(DATA_DIR)

build: ## Build the executable jar without running tests
	$(MVN) package -DskipTests

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) package -DskipTests

test: ## Run every test (unit, storage contract, API against real servers)
	mvn -B test

clean: ## Remove build output (keeps the data directory)
	$(MVN) clean

.PHONY: help run build test clean
