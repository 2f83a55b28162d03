package sync

func pull(url string) (*http.Response, error) {
	return http.Get(url)
}
