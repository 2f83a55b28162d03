<?php
// fcto-corpus-path: app/Http/Controllers/OrderController.php
class OrderController extends Controller {
    public function index() {
        return view('orders', ['orders' => Order::all()]);
    }
}
