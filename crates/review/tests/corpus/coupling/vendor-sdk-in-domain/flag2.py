# fcto-corpus-path: app/domain/files.py
from boto3.session import Session
