"""Article layer: the received text, its cleaning and structure; segmentation and charts."""
