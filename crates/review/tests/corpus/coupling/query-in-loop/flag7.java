class Report {
    List<Customer> load(List<Long> ids) {
        List<Customer> out = new ArrayList<>();
        for (Long id : ids) {
            out.add(customerRepository.findById(id).orElseThrow());
        }
        return out;
    }
}
