package sync

var client = &http.Client{
	Transport: transport,
}
