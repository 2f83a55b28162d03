package aws

var accessKey = os.Getenv("AWS_ACCESS_KEY_ID")
const tokenHeader = "X-Auth-Token"
