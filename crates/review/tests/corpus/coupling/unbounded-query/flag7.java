// fcto-corpus-path: src/main/java/shop/OrderController.java
@RestController
class OrderController {
    @GetMapping("/orders")
    List<Order> list() {
        return orderRepository.findAll();
    }
}
