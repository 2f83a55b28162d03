package notify

func send(ctx context.Context, body []byte) error {
	op := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
		if err != nil {
			return backoff.Permanent(err)
		}
		_, err = client.Do(req)
		return err
	}
	return backoff.Retry(op, backoff.NewExponentialBackOff())
}
