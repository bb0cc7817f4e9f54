# Production image: one image for web (uvicorn, ASGI), Celery worker and Celery beat.
FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# collectstatic needs settings that pass the production guard; these throwaway values exist only here.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ENCRYPTION_KEY="$(python -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')" \
    REDIS_URL=redis://unused:6379/0 DJANGO_DEBUG=false python manage.py collectstatic --noinput
RUN useradd --system --uid 10001 hub && mkdir -p /app/var/media && chown -R hub /app/var
USER hub
EXPOSE 8000
# Forwarded client addresses are trusted only from FORWARDED_ALLOW_IPS (uvicorn reads it from the
# environment; unset, only 127.0.0.1). No access log from uvicorn (it names client addresses and query
# strings; hub/access_log.py logs instead) and no Server banner. Websocket pings every 10 s: a socket on
# a dead network closes within 20 s, so the other side of a chat hears "connection dropped" within 30 s.
CMD ["uvicorn", "hub.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--no-access-log", "--no-server-header", "--ws-ping-interval", "10", "--ws-ping-timeout", "10", "--ws", "hub.ws_keepalive:WebSocketProtocol"]
