<?php
foreach ($orders as $order) {
    $customer = Customer::find($order->customer_id);
}
