# fcto-corpus-path: app/controllers/orders_controller.rb
class OrdersController < ApplicationController
  def index
    @pagy, @orders = pagy(Order.all)
    @recent = Order.all.limit(10)
  end
end
