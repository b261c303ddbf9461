.PHONY: run test test-postgres lint bench bench-gateway exchange docs

run:            ## create the environment, migrate, load demo data, serve on http://127.0.0.1:8000
	bin/run

test:           ## create the environment and run every test (SQLite)
	bin/test

test-postgres:  ## the same suite on PostgreSQL (127.0.0.1:5432)
	bin/test-postgres

lint:           ## ruff, mypy and the import-linter layers
	bin/lint

bench:          ## benchmarks that print ratios measured in one run
	bin/bench

bench-gateway:  ## wrk: direct, a bare mutual-TLS relay and two gateways; rates and ratios
	bin/bench-gateway

exchange:       ## central, a gateway per active demo participant and demo backends on loopback
	bin/exchange

docs:           ## build the documentation site
	bin/docs
