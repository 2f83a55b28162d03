import openai
from twilio.rest import Client

openai.api_key = "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"
TWILIO_API_KEY = 'SKda9ef7f42bba550868a2b5af1d1be0a5'
REDIS_URL = "rediss://default:6PxfzJpi0TYA4P8Xb4@cache-7.prod.example-redis.io:6380/0"


class Settings:
    api_key: str = "YDu!d^ehj18nJK9iSQRNT-tF"


def connect():
    return Client("AC815ab448f19303ec4dec8e5be9036660", "6eac2ba34e68746ab600e189b1cb13e0")


def login(session):
    session.login(user="ops", password="Qb3j4L2RTNs2!reHSA5FuZ#W")
