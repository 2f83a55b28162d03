package aws

var accessKey = "AKIAIOSFODNN7ABCDEFG"
