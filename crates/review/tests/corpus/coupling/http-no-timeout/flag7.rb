def rates
  uri = URI("https://api.mycompany.com/rates")
  Net::HTTP.get(uri)
end
