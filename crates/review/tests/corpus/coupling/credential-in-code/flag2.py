DB_PASSWORD = "Tr0ub4dor&3xyz"
client = Client(api_key="a8f5f167f44f4964e6c998dee827110c")
