"""Notes API: FastAPI on Vercel (api/index.py serves every route through the rewrite in vercel.json)."""
import asyncio
import json
import os
import tempfile

import httpx
import psycopg
import redis
from fastapi import BackgroundTasks, FastAPI, Header, HTTPException, Request

app = FastAPI(title="Notes")

# Created once per instance and reused by warm invocations: the right pattern, not reported.
cache = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379"))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost/notes")

current_user = None
views = {}


async def notify_slack(text: str) -> None:
    async with httpx.AsyncClient() as client:
        await client.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": text})


def record_audit(action: str) -> None:
    print(json.dumps({"action": action}))


@app.middleware("http")
async def authenticate(request: Request, call_next):
    global current_user
    current_user = request.headers.get("x-user-id")
    return await call_next(request)


@app.get("/api/notes")
def list_notes():
    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute("select id, title from notes where owner = %s", (current_user,)).fetchall()
    return [{"id": r[0], "title": r[1]} for r in rows]


@app.get("/api/notes/{note_id}")
def read_note(note_id: int):
    views[note_id] = views.get(note_id, 0) + 1
    cache.incr(f"views:{note_id}")
    return {"id": note_id, "views": views[note_id]}


@app.post("/api/notes")
async def create_note(title: str, background_tasks: BackgroundTasks):
    asyncio.create_task(notify_slack(f"new note: {title}"))
    background_tasks.add_task(record_audit, "create")
    return {"title": title}


@app.post("/api/export")
def export_notes(x_user_id: str = Header(...)):
    if not x_user_id:
        raise HTTPException(status_code=401)
    with open("exports/notes.json", "w") as f:
        json.dump({"owner": x_user_id}, f)
    # Writing under the temporary folder is fine on Vercel: not reported.
    with open(os.path.join(tempfile.gettempdir(), "last-export.txt"), "w") as log:
        log.write(x_user_id)
    return {"ok": True}


if __name__ == "__main__":
    # Local development only: Vercel imports the module and serves `app`, so this never runs there.
    import uvicorn

    uvicorn.run(app, port=8000)
