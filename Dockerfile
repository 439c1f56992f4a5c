# The Carto.net service (see docker-compose.yml for it with Neo4j).
# Installs the package as a wheel: cypher/ and fixtures/ travel inside it
# (pyproject.toml force-includes them as cartonet/_cypher and cartonet/_fixtures).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY cypher ./cypher
COPY fixtures ./fixtures
RUN pip install . && rm -rf /src

RUN useradd --create-home --uid 10001 cartonet
USER cartonet
WORKDIR /home/cartonet

# Settings come from the environment (CARTONET_STORE, CARTONET_NEO4J_*, CARTONET_HOST...).
ENV CARTONET_HOST=0.0.0.0 \
    CARTONET_PORT=8000
EXPOSE 8000
CMD ["cartonet", "serve"]
