class Change < ActiveRecord::Migration[7.1]
  def change
    add_column :events, :at, :datetime, default: -> { 'clock_timestamp()' }, null: false
  end
end
