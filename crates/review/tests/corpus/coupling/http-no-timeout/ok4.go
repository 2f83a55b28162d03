package sync

var client = &http.Client{
	Transport: transport,
	Timeout:   10 * time.Second,
}

// http.Get(url) would use the default client
func pull(req *http.Request) (*http.Response, error) {
	return client.Do(req)
}
