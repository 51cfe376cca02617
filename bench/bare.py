"""The least a respondent flow can do, under the same server: GET a fixed page, POST one row, GET a fixed page.

Run by gunicorn as `bench.bare:app`; BENCH_DATABASE is the database URL the real app uses (SQLite or
PostgreSQL), written with the plain driver, no ORM.
"""
import os
import sqlite3
import threading

from flask import Flask, redirect

app = Flask(__name__)
PAGE = "<!doctype html><title>x</title><form method=post><input name=a value=4><button>Send</button></form>" * 20
_local = threading.local()


def _connect():
    url = os.environ["BENCH_DATABASE"]
    if url.startswith("postgresql"):
        import psycopg

        connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        connection.execute("CREATE TABLE IF NOT EXISTS bench_row (id SERIAL PRIMARY KEY, value INTEGER)")
        connection.commit()
        return connection
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=5)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, value INTEGER)")
    return connection


def _db():
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = _connect()
    return connection


@app.get("/bare")
def page():
    return PAGE


@app.post("/bare")
def submit():
    connection = _db()
    connection.execute("INSERT INTO bench_row (value) VALUES (4)")
    connection.commit()
    return redirect("/bare/tak", code=303)


@app.get("/bare/tak")
def thanks():
    return "<!doctype html><title>tak</title><p>Tak"
