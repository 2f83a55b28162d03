def rates
  uri = URI("https://api.mycompany.com/rates")
  Net::HTTP.start(uri.host, uri.port, use_ssl: true, open_timeout: 3, read_timeout: 10) do |http|
    http.get(uri.path)
  end
end
